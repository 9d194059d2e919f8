"""What a document was uploaded for."""

from provider_dir.models.base import LabelledEnum


class DocumentPurpose(LabelledEnum):
    """Why a document was uploaded."""

    CLAIM = ("claim", "Proof of a role at the clinic")
    CREDENTIAL = ("credential", "Credential")
    EVIDENCE = ("evidence", "Checklist evidence")
