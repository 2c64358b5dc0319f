"""Tests of the moto launcher: one module per patch (test_<patch>.py) plus the process test.

Run from the repository root: npm run test:moto
(python3 -m unittest discover -s __tests__/e2e/moto -p "test_*.py").

Each patch test states, in a comment, how moto 5.2.1 behaved without the patch;
LAUNCHER_TEST_DISABLE=<patch>[,<patch>...] runs the suite with those patches
off (see support.py), and `python3 launcher.py --port 0 --disable <patch>`
reproduces it by hand.
"""
