"""One autofocus per page on the sign-in form: after a wrong password the error summary takes
the focus, and the username field (which Django's form autofocuses) gives it up. Two
autofocus attributes are invalid HTML, and which one a browser honours is left to chance."""

from tests.conftest import PASSWORD

LOGIN = "/en/accounts/login/"


def test_a_wrong_password_puts_the_only_autofocus_on_the_summary(client, staff_user):
    html = client.post(LOGIN, {"username": "staff", "password": "wrong"}).text
    assert html.count("autofocus") == 1
    assert 'class="error-summary" id="form-errors" tabindex="-1" autofocus' in html


def test_the_empty_form_focuses_the_username(client, db):
    html = client.get(LOGIN).text
    assert html.count("autofocus") == 1
    assert 'name="username"' in html.split("autofocus")[0].rsplit("<input", 1)[1]


def test_a_missing_username_focuses_the_username(client, db):
    html = client.post(LOGIN, {"username": "", "password": PASSWORD}).text
    assert html.count("autofocus") == 1
    assert 'name="username"' in html.split("autofocus")[0].rsplit("<input", 1)[1]
