"""Pages of the field-report module: public intake and tracking, handling, statistics."""
