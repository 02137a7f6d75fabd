/**
 * `runtimes.sh`: the runtimes that ignore the OS store (Node, Python requests/ssl, pip, git, each JDK) pointed at the
 * root, for machines where install-linux.sh (or the .mobileconfig) already put it in the system store; and the
 * Dockerfile fragment for images.
 */
import { scriptHead } from './shell'
import { shQuote, type KitRoot } from './root'

/** Where runtimes.sh keeps the root and the combined bundle: system-wide as root, per user otherwise. */
const DATA_DIRS = { system: '/usr/local/share/certdesk', user: '${XDG_DATA_HOME:-$HOME/.local/share}/certdesk' }

export function dockerfileFragment(root: KitRoot): string[] {
  return [
    '# Debian/Ubuntu-based image (build context: the kit folder):',
    `COPY root.pem /usr/local/share/ca-certificates/${root.fileBase}.crt`,
    'RUN update-ca-certificates',
    'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \\',
    '    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \\',
    '    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \\',
    '    PIP_CERT=/etc/ssl/certs/ca-certificates.crt',
    "# JDK images: import into the JDK's own store as well.",
    `# RUN keytool -importcert -noprompt -cacerts -storepass changeit -alias ${root.fileBase.toLowerCase()} -file /tmp/root.pem`,
  ]
}

export function runtimesScript(root: KitRoot): string {
  const alias = root.fileBase.toLowerCase()
  return [
    ...scriptHead(
      root,
      'runtimes.sh',
      [
        'Makes Node, Python (requests, ssl), pip, git and each JDK found trust the root. Usage:',
        '  sh runtimes.sh --env         print the environment lines (for /etc/profile.d or ~/.profile)',
        '  sh runtimes.sh --apply       write them to an env file, set pip and git, import into each JDK found',
        '  sh runtimes.sh --dockerfile  print a Dockerfile fragment',
        "As root it works system-wide (/etc/profile.d, git --system, the JDKs' cacerts); as a user, for that user.",
        'CERTDESK_KIT_JAVA_HOMES="DIR …" adds JDKs to look at; CERTDESK_JAVA_STOREPASS is the cacerts password (changeit).',
      ],
      ['run on each Linux or macOS machine after install-linux.sh (or the .mobileconfig), by MDM or Ansible.'],
    ),
    'mode="${1:-}"',
    'case "$mode" in',
    '  --env|--apply|--dockerfile) ;;',
    '  *) echo "usage: sh runtimes.sh --env|--apply|--dockerfile" >&2; exit 2 ;;',
    'esac',
    'if [ "$mode" = --dockerfile ]; then',
    "  cat <<'CERTDESK_DOCKERFILE'",
    ...dockerfileFragment(root),
    'CERTDESK_DOCKERFILE',
    '  exit 0',
    'fi',
    `if [ "$(id -u)" -eq 0 ]; then data="$ROOT${DATA_DIRS.system}"; scope=system; else data="${DATA_DIRS.user}"; scope=user; fi`,
    'pem="$data/$NAME.pem"',
    'bundle="$data/$NAME-bundle.pem"',
    '# The system bundle this OS keeps (the first that exists); the combined bundle adds the root to it.',
    'system_bundle=""',
    'for candidate in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/ca-bundle.pem /etc/ssl/cert.pem; do',
    '  [ -r "$ROOT$candidate" ] && { system_bundle="$ROOT$candidate"; break; }',
    'done',
    'env_lines() {',
    '  echo "export NODE_EXTRA_CA_CERTS=\\"$pem\\""',
    '  echo "export REQUESTS_CA_BUNDLE=\\"$bundle\\""',
    '  echo "export SSL_CERT_FILE=\\"$bundle\\""',
    '  echo "export PIP_CERT=\\"$bundle\\""',
    '  echo "export GIT_SSL_CAINFO=\\"$bundle\\""',
    '}',
    'if [ "$mode" = --env ]; then env_lines; exit 0; fi',
    '',
    'mkdir -p -- "$data" && write_pem > "$pem" || { echo "runtimes.sh: cannot write $pem" >&2; exit 1; }',
    '{ [ -n "$system_bundle" ] && cat -- "$system_bundle"; write_pem; } > "$bundle.tmp" && mv -f -- "$bundle.tmp" "$bundle"',
    'chmod 0644 "$pem" "$bundle"',
    'if [ "$scope" = system ]; then envfile="$ROOT/etc/profile.d/$NAME.sh"; else envfile="$data/env.sh"; fi',
    'mkdir -p -- "$(dirname -- "$envfile")"',
    '{ echo "# Written by the Certdesk fleet kit (runtimes.sh) for the root $SUBJECT."; env_lines; } > "$envfile"',
    'echo "Environment: $envfile (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE, PIP_CERT, GIT_SSL_CAINFO)"',
    'if [ "$scope" = user ]; then',
    '  line=". \\"$envfile\\""',
    '  grep -qxF -- "$line" "$HOME/.profile" 2>/dev/null || echo "$line" >> "$HOME/.profile"',
    '  echo "  sourced from $HOME/.profile (a new login shell sees it)"',
    'fi',
    '# Under CERTDESK_KIT_ROOT (tests) git writes into the tree and pip is left alone: nothing outside the tree changes.',
    'if [ -n "$ROOT" ]; then :',
    'elif command -v pip3 >/dev/null 2>&1; then',
    '  if [ "$scope" = system ]; then where=--global; else where=--user; fi',
    '  if pip3 config "$where" set global.cert "$bundle" >/dev/null 2>&1; then echo "pip: global.cert = $bundle"',
    '  else echo "pip: could not set global.cert (PIP_CERT in the env file still applies)" >&2; fi',
    'fi',
    'if command -v git >/dev/null 2>&1; then',
    '  if [ -n "$ROOT" ]; then git config --file "$ROOT/etc/gitconfig" http.sslCAInfo "$bundle"',
    '  elif [ "$scope" = system ]; then git config --system http.sslCAInfo "$bundle"',
    '  else git config --global http.sslCAInfo "$bundle"',
    '  fi',
    '  echo "git: http.sslCAInfo = $bundle"',
    'fi',
    "# Each JDK found: JAVA_HOME, the distribution's and macOS's JDK folders, and CERTDESK_KIT_JAVA_HOMES.",
    `ALIAS=${shQuote(alias)}`,
    'storepass="${CERTDESK_JAVA_STOREPASS:-changeit}"',
    'java_homes="$ROOT/usr/lib/jvm/* $ROOT/Library/Java/JavaVirtualMachines/*/Contents/Home ${CERTDESK_KIT_JAVA_HOMES:-}"',
    '[ -z "$ROOT" ] && java_homes="${JAVA_HOME:-} $java_homes"',
    'for jdk in $java_homes; do',
    '  [ -x "$jdk/bin/keytool" ] || continue',
    '  cacerts=""',
    '  for c in "$jdk/lib/security/cacerts" "$jdk/jre/lib/security/cacerts"; do [ -f "$c" ] && { cacerts=$c; break; }; done',
    '  [ -n "$cacerts" ] || continue',
    '  if "$jdk/bin/keytool" -list -keystore "$cacerts" -storepass "$storepass" -alias "$ALIAS" >/dev/null 2>&1; then',
    '    echo "java: $jdk already trusts the root ($ALIAS)"',
    '  elif "$jdk/bin/keytool" -importcert -noprompt -trustcacerts -keystore "$cacerts" -storepass "$storepass" \\',
    '    -alias "$ALIAS" -file "$pem" >/dev/null 2>&1; then',
    '    echo "java: imported into $cacerts ($ALIAS)"',
    '  else',
    '    echo "java: could not import into $cacerts (run as root, or set CERTDESK_JAVA_STOREPASS)" >&2',
    '  fi',
    'done',
    '',
  ].join('\n')
}
