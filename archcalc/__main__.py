"""python -m archcalc"""

from archcalc.cli import main

main()
