"""The directory as Open Referral HSDS 3.0: the mapping of a clinic onto HSDS objects, and the file export."""
