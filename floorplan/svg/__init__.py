"""SVG drawings of a building: the plan of a floor and the stacking diagram of all floors.

Both return a string of well-formed SVG, built with ElementTree, usable as a file, inline in a page or converted
to PNG or PDF.
"""

from floorplan.svg.floor import floor_to_svg
from floorplan.svg.palette import department_palette
from floorplan.svg.stack import stack_to_svg
from floorplan.svg.stack_row import StackSegment, StackWords

__all__ = ["StackSegment", "StackWords", "department_palette", "floor_to_svg", "stack_to_svg"]
