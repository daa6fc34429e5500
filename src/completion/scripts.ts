/** Shells `approvals completion` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

// Each script asks `approvals __complete <words...>` (the last word is the one being typed, possibly
// empty) for candidates, one per line as `value<TAB>description`; a lone `:files` line asks the shell
// to complete file names itself. All logic lives in the CLI, so the scripts never go out of date.
// Execution names are untrusted and may hold `$(...)`, backquotes, `!`, spaces or quotes: every shell
// inserts a candidate as one quoted word. bash does not quote what a function offers, so its script
// passes the typed words without their quoting and quotes each candidate the way the word was begun
// (backslashes, or inside the ' or " the user opened), so that it still extends what was typed.

const BASH = `# bash completion for approvals.
# Load it from ~/.bashrc:       source <(approvals completion bash)
# or save it once:              approvals completion bash > ~/.local/share/bash-completion/completions/approvals
# A word as typed (COMP_WORDS keeps the quotes and backslashes) without its quoting, in _approvals_word.
_approvals_unquote() {
  local word="$1" quote="" plain="" c i=0
  case "$word" in \\'*) quote="'" word="\${word:1}" ;; \\"*) quote='"' word="\${word:1}" ;; esac
  if [[ "$quote" == "'" ]]; then _approvals_word="\${word%\\'}"; return; fi
  while (( i < \${#word} )); do
    c="\${word:i:1}"
    if [[ "$c" == '\\' ]]; then
      # A backslash at the end is an escape not yet typed; inside double quotes it escapes only $ \` " \\.
      (( i + 1 < \${#word} )) || break
      if [[ -z "$quote" || '$\`"\\' == *"\${word:i+1:1}"* ]]; then c="\${word:i+1:1}"; i=$(( i + 1 )); fi
    elif [[ -n "$quote" && "$c" == '"' ]]; then
      c=""
    fi
    plain+="$c"; i=$(( i + 1 ))
  done
  _approvals_word="$plain"
}
# A candidate quoted the way the word being completed was begun (none, ' or "), in _approvals_word:
# inserted, it is one literal word, so Enter expands nothing in it ($(...), backquotes, ! from history).
_approvals_quote() {
  local value="$2" q
  case "$1" in
    \\'*) q="\${value//\\'/\\'\\\\\\'\\'}" ;;
    \\"*) q="\${value//\\\\/\\\\\\\\}" q="\${q//\\$/\\\\\\$}" q="\${q//\\\`/\\\\\\\`}" q="\${q//\\"/\\\\\\"}" q="\${q//!/\\"\\\\!\\"}" ;;
    *) printf -v q '%q' "$value" ;;
  esac
  _approvals_word="$q"
}
_approvals_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line out _approvals_word
  local -a words=()
  for line in "\${COMP_WORDS[@]:1:COMP_CWORD}"; do
    _approvals_unquote "$line"
    words+=("$_approvals_word")
  done
  COMPREPLY=()
  out="$(approvals __complete "\${words[@]}" 2>/dev/null)" || return 0
  if [[ "$out" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$_approvals_word")
    return 0
  fi
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    _approvals_quote "$cur" "\${line%%$'\\t'*}"
    COMPREPLY+=("$_approvals_word")
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
