"""FHIR R4 bulk data shaped by HL7 Da Vinci PDex Plan-Net: mappings per resource type, the writer, the command."""
