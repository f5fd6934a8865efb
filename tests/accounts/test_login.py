from django.urls import reverse


def test_login_page_is_vietnamese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in body and "Tên đăng nhập" in body


def test_repeated_failed_logins_lock_the_account(client, personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "bithu_a", "password": "sai-mat-khau"})
    response = client.post(reverse("login"), {"username": "bithu_a", "password": "matkhau-thu-nghiem"})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()


def test_correct_login_opens_the_users_unit(client, personas, tree):
    response = client.post(reverse("login"), {"username": "bithu_a", "password": "matkhau-thu-nghiem"}, follow=True)
    assert response.request["PATH_INFO"] == reverse("organizations:detail", kwargs={"pk": tree.branch_a.pk})


def test_pages_need_login(client, db):
    response = client.get(reverse("members:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
