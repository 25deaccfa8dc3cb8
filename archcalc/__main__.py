"""python -m archcalc"""

from archcalc.cli import run

run()
