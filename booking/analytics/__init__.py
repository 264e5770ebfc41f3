"""Occupancy analytics, and the loop from bookings back into layouts.

Pure functions over a Session, a building and explicit dates (and ``now``, which says which bookings were
released for want of a check-in):

- `facts`: the building and the period's bookings as arrays, read once (`booking_rows`: the bookings, their
  slots and outcomes); `occupancy`: floors, zones, weekdays and slots; `needs`: each unit's people in at once
  and the seats that would have served them; `coattendance`: units that come in together beyond chance;
  `report`: all of them as one report, and as CSV rows;
- `planning`: a scenario from live data (`floorwise plan from-bookings`), its `current_layout` from the units'
  home desks (`homes`); `neighbourhoods`: a layout made the units' home zones (`floorwise neighbourhoods apply`);
- `suggestions`: free desks ranked by the travel time to the people one works with;
- `access`: who may read which report.
"""
