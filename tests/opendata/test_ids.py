import uuid

from provider_dir.opendata.ids import public_id


def test_the_same_record_gets_the_same_id_every_time_and_kinds_never_collide():
    first = public_id("clinic", 42)
    assert first == public_id("clinic", 42)
    assert uuid.UUID(first).version == 5
    assert first != public_id("clinic", 43)
    assert first != public_id("location", 42)


def test_ids_are_the_standard_uuid5_of_kind_and_key():
    from provider_dir.opendata.ids import NAMESPACE

    for kind, key in (("clinic", 1), ("schedule", "7:09:00-17:00"), ("language", "3:Haitian Creole"), ("x", "é")):
        assert public_id(kind, key) == str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))
