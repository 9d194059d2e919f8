"""Searches are throttled per client address, so one client cannot hog an online geocoder."""


def test_the_sixty_first_search_in_a_minute_gets_a_429_with_a_message(limited_app):
    client = limited_app.test_client()
    statuses = {client.get("/api/v1/search?location=10001&radius_mi=1").status_code for _ in range(60)}
    assert statuses == {200}
    blocked = client.get("/api/v1/search?location=10001&radius_mi=1")
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.json["error"]["message"]
    other = client.get("/search?location=10001", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert other.status_code == 200
