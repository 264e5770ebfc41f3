"""A demo building modelled on the Bunkyo Civic Center (文京シビックセンター), built by code; see NOTES.md."""

from floorplan.demo.civic_centre import demo_building

__all__ = ["demo_building"]
