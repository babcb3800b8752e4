"""CKAN's Action API (`/api/3/action/<name>`) over DXBoard's open datasets."""
