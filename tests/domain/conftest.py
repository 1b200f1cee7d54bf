"""Hypothesis settings for the domain tests.

No example database: it would leave a .hypothesis/ folder in the checkout (a failure prints
its example, which is enough to reproduce it). No deadline: the first phone parse loads
phonenumbers' metadata, and a busy CI machine should not turn that into a failure.
"""

from hypothesis import settings

settings.register_profile("microcare", database=None, deadline=None)
settings.load_profile("microcare")
