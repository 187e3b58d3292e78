"""Ribbon buttons of the selfeval Excel add-in (功能区“绩效自评”的按钮).

Placeholder written by the add-in build so that the module the VBA callback imports
exists; the real dispatcher replaces this file. The contract: the add-in's VBA calls
``on_action(control_id)`` with one of the control ids of ``addin/customUI.xml``
(``selfeval_validate``, ``selfeval_rescore``, ``selfeval_restore``, ``selfeval_clear``,
``selfeval_report``, ``selfeval_new``).
"""


def on_action(control_id: str) -> None:
    """Run the action of the ribbon button ``control_id``."""
    raise NotImplementedError(f"按钮 {control_id} 的功能尚未实现")
