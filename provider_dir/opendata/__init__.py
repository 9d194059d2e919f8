"""Open data: the directory published in the field's standards (HSDS 3.0, FHIR R4 Plan-Net)."""
