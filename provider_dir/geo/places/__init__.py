"""Where a place is: the US gazetteer, geocoders (offline and online) and placing a listing."""
