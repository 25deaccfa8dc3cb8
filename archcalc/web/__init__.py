"""``archcalc serve``: the calculator as a local web page.

:mod:`archcalc.web.service` holds what the page asks for as plain functions over text
(read, analyse, explain, lint, calc, quiz, downloads); :mod:`archcalc.web.app` is the
Starlette application around them; ``static/`` is the page (HTML, CSS, JavaScript, served
as files) and ``samples/`` the course notes' models of the menu. Starlette, uvicorn and
latex2mathml come with the ``web`` extra and are imported only by ``archcalc serve``.
"""
