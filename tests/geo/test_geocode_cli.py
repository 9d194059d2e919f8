"""flask geocode "QUERY"."""


def test_geocode_prints_the_place_and_its_coordinates(runner):
    result = runner.invoke(args=["geocode", "chicago il"])
    assert result.exit_code == 0
    assert result.output.strip() == "Chicago, IL\t41.85003\t-87.65005\t(offline)"


def test_geocode_all_lists_the_candidates_most_populous_first(runner):
    result = runner.invoke(args=["geocode", "Springfield", "--all"])
    lines = result.output.splitlines()
    assert result.exit_code == 0 and len(lines) > 10
    assert lines[0].startswith("Springfield, MO\t")


def test_geocode_reverse_lists_the_nearest_zip_codes(runner):
    result = runner.invoke(args=["geocode", "40.7506,-73.9935", "--reverse"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("New York, NY 10")


def test_geocode_says_when_nobody_knows_the_place(runner):
    result = runner.invoke(args=["geocode", "Atlantis, ZZ"])
    assert result.exit_code == 1
    assert "No geocoder knows 'Atlantis, ZZ'" in result.output
    bad = runner.invoke(args=["geocode", "not a point", "--reverse"])
    assert bad.exit_code == 2 and "latitude and longitude" in bad.output
