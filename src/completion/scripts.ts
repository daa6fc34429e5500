/** Shells `approvals completion` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

// Each script asks `approvals __complete <words...>` (the last word is the one being typed, possibly
// empty) for candidates, one per line as `value<TAB>description`; a lone `:files` line asks the shell
// to complete file names itself. All logic lives in the CLI, so the scripts never go out of date.

const BASH = `# bash completion for approvals.
# Load it from ~/.bashrc:       source <(approvals completion bash)
# or save it once:              approvals completion bash > ~/.local/share/bash-completion/completions/approvals
_approvals_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line out
  COMPREPLY=()
  out="$(approvals __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" || return 0
  if [[ "$out" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
    return 0
  fi
  while IFS= read -r line; do
    [[ -n "$line" ]] && COMPREPLY+=("\${line%%$'\\t'*}")
  done <<< "$out"
  return 0
}
complete -F _approvals_complete approvals
`;

const ZSH = `#compdef approvals
# zsh completion for approvals.
# Load it from ~/.zshrc, after compinit:   source <(approvals completion zsh)
# or save it once as _approvals in a directory on $fpath:
#   approvals completion zsh > "\${fpath[1]}/_approvals"
_approvals() {
  local -a lines candidates
  local line
  lines=("\${(@f)$(approvals __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${lines[1]}" == ":files" ]]; then
    _files
    return
  fi
  for line in "\${lines[@]}"; do
    [[ -z "$line" ]] && continue
    candidates+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
  done
  (( \${#candidates} )) && _describe -t values approvals candidates
}
if [[ "\${funcstack[1]}" == "_approvals" ]]; then
  _approvals "$@"
elif (( \${+functions[compdef]} )); then
  compdef _approvals approvals
fi
`;

const FISH = `# fish completion for approvals.
# Save it once:   approvals completion fish > ~/.config/fish/completions/approvals.fish
# or load it:     approvals completion fish | source
function __approvals_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l current (commandline -ct)
    set -l out (approvals __complete $tokens "$current" 2>/dev/null)
    if test "$out[1]" = ":files"
        __fish_complete_path "$current"
        return
    end
    test (count $out) -gt 0; and printf '%s\\n' $out
end
complete -c approvals -f -a '(__approvals_complete)'
`;

/** The completion script for a shell. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
