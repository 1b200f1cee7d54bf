"""The providers signposted in a call, under the lookup on the call screen."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from microcare_tui.services.call import SignpostItem

NOBODY_SIGNPOSTED = "Signposted: nobody yet (F3 on a provider)"


def signposted_title(count: int, saved: bool = False) -> str:
    """The line above the list: how many, and how to take one back (or, once saved, how to
    record what happened after one)."""
    if not count:
        return NOBODY_SIGNPOSTED
    if saved:
        return f"Signposted ({count}): F5 then o records what happened"
    return f"Signposted ({count}): del removes one"


class SignpostList(OptionList):
    """Providers signposted in this call.

    Keys:
      delete, backspace, x  take back the highlighted signpost (posts RemoveRequested)
      o                     on a saved enquiry, record what happened next (posts
                            OutcomeRequested): contacted, started, declined
    """

    BINDINGS = [
        Binding("delete,backspace,x", "remove", "Remove signpost"),
        Binding("o", "outcome", "What happened"),
    ]

    class SignpostRequest(Message):
        """The worker asked for something about the signpost to this provider."""

        def __init__(self, signposts: SignpostList, provider_id: str) -> None:
            super().__init__()
            self.signposts = signposts
            self.provider_id = provider_id

        @property
        def control(self) -> SignpostList:
            return self.signposts

    class RemoveRequested(SignpostRequest):
        """The worker asked to take back the signpost to this provider."""

    class OutcomeRequested(SignpostRequest):
        """The worker asked to record what happened after the signpost to this provider."""

    def _highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and option.id else None

    def action_remove(self) -> None:
        provider_id = self._highlighted_id()
        if provider_id:
            self.post_message(self.RemoveRequested(self, provider_id))

    def action_outcome(self) -> None:
        provider_id = self._highlighted_id()
        if provider_id:
            self.post_message(self.OutcomeRequested(self, provider_id))

    def show(self, items: list[SignpostItem]) -> None:
        """List these signposts, keeping the highlight where it was (hidden when none)."""
        if not items and not self.option_count:
            if self.display:  # setting it again, even to the same, lays out the screen
                self.display = False
            return  # still none (a new call): setting no options again lays out the screen
        keep = self.highlighted or 0
        self.set_options(Option(f"→ {item.name}{item.note}", id=item.provider_id) for item in items)
        self.display = bool(items)
        if items:
            self.highlighted = min(keep, len(items) - 1)
