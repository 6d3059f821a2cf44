"""Shell completion as `netlog --install-completion` sets it up, with Typer's zsh script
mended: zsh loads that script on the first Tab of a session, and Typer's only registers the
function there, so the first Tab offered nothing (Click fixed its own script so, #2344)."""

import typer

ZSH_SCRIPT = """
#compdef %(prog_name)s

%(complete_func)s() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(autocomplete_var)s=complete_zsh %(prog_name)s)
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  %(complete_func)s "$@"
else
  compdef %(complete_func)s %(prog_name)s
fi
"""  # noqa: E501 - the line Typer writes, as it writes it


def register(app: typer.Typer) -> None:
    """No command: `--install-completion` and `--show-completion` write this zsh script."""
    from typer import _completion_shared

    _completion_shared._completion_scripts["zsh"] = ZSH_SCRIPT
