from dxboard.testing import UrlCase

CASES = [
    # Outsiders: a value for commune A from officer B is a conflict, see test_values_api.py.
    UrlCase("api:import_data_values", method="post", anonymous="401"),
    # Reading back needs ?orgUnit=; officer B reading commune A gets 404 in test_values_api.py.
    UrlCase("api:list_data_values", anonymous="401"),
]
