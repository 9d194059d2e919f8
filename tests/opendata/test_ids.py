import uuid

from provider_dir.opendata.ids import public_id


def test_the_same_record_gets_the_same_id_every_time_and_kinds_never_collide():
    first = public_id("clinic", 42)
    assert first == public_id("clinic", 42)
    assert uuid.UUID(first).version == 5
    assert first != public_id("clinic", 43)
    assert first != public_id("location", 42)
