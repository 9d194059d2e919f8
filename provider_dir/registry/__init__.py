"""Registry checks: NPPES (NPIs, licences) and the OIG LEIE (exclusions), loaded from their files or asked online."""
