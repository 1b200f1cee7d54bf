"""Hypothesis settings for the domain tests.

No deadline: the first phone parse loads phonenumbers' metadata, and a busy CI machine
should not turn that into a failure. (Hypothesis keeps its example database in
.hypothesis/, which ignores itself in git.)
"""

from hypothesis import settings

settings.register_profile("microcare", deadline=None)
settings.load_profile("microcare")
