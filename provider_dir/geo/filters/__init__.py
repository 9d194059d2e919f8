"""The filters patients ask for (language, insurance, telehealth, psychotherapy, hours, access) and their counts."""
