"""floorwise's application: the database, the web API and pages, and the `floorwise` command line."""
