#!/bin/sh
# kubun installer: `curl -sfL <release-host>/install.sh | sh -` or `sh install.sh` in a checkout.
# Downloads (and checksum-verifies) or builds the kubun binary, installs it with kubectl,
# killall and uninstall scripts, writes a systemd unit (or OpenRC script) and starts it.
set -eu

info() { echo "[INFO]  $*"; }
warn() { echo "[WARN]  $*" >&2; }
fatal() { echo "[ERROR] $*" >&2; exit 1; }

NAME="${INSTALL_KUBUN_NAME:-kubun}"
BIN_DIR="${INSTALL_KUBUN_BIN_DIR:-/usr/local/bin}"
SYSTEMD_DIR="${INSTALL_KUBUN_SYSTEMD_DIR:-/etc/systemd/system}"
DOWNLOAD_URL="${INSTALL_KUBUN_DOWNLOAD_URL:-}"
VERSION="${INSTALL_KUBUN_VERSION:-latest}"
SYMLINK="${INSTALL_KUBUN_SYMLINK:-}"
EXEC_ARGS="${INSTALL_KUBUN_EXEC:-}"
SKIP_DOWNLOAD="${INSTALL_KUBUN_SKIP_DOWNLOAD:-false}"
SKIP_ENABLE="${INSTALL_KUBUN_SKIP_ENABLE:-false}"
SKIP_START="${INSTALL_KUBUN_SKIP_START:-false}"
FORCE_RESTART="${INSTALL_KUBUN_FORCE_RESTART:-false}"
DATA_DIR="${INSTALL_KUBUN_DATA_DIR:-${KUBUN_DATA_DIR:-/var/lib/kubun}}"
CONFIG_DIR="${INSTALL_KUBUN_CONFIG_DIR:-/etc/kubun}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

SCRIPT_DIR=""
case "$0" in
  */install.sh) SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd) ;;
esac

setup_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) ARCH=amd64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    armv7* | arm*) ARCH=arm ;;
    *) fatal "unsupported architecture $(uname -m)" ;;
  esac
}

setup_dirs() {
  [ -z "${INSTALL_KUBUN_BIN_DIR:-}" ] || mkdir -p "$BIN_DIR" 2>/dev/null || true
  if [ ! -d "$BIN_DIR" ] || ! touch "$BIN_DIR/.kubun-write-test" 2>/dev/null; then
    [ -z "${INSTALL_KUBUN_BIN_DIR:-}" ] || fatal "cannot write to $BIN_DIR"
    BIN_DIR=/opt/bin
    mkdir -p "$BIN_DIR"
  fi
  rm -f "$BIN_DIR/.kubun-write-test"
  TMP_DIR=$(mktemp -d)
  trap 'rm -rf "$TMP_DIR"' EXIT
}

download() { # url dest
  if command -v curl >/dev/null 2>&1; then curl -sfL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then wget -qO "$2" "$1"
  else return 1; fi
}

in_checkout() {
  [ -n "$SCRIPT_DIR" ] && [ -f "$SCRIPT_DIR/package.json" ] && grep -q '"name": "kubun"' "$SCRIPT_DIR/package.json"
}

build_from_checkout() {
  command -v npm >/dev/null 2>&1 || fatal "building from the checkout needs npm (apt-get install npm)"
  info "Building kubun from $SCRIPT_DIR"
  (cd "$SCRIPT_DIR" && npm install --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build >/dev/null) || fatal "build failed"
  cp "$SCRIPT_DIR/dist/kubun" "$TMP_DIR/kubun"
}

fetch_binary() {
  if [ -n "$DOWNLOAD_URL" ]; then
    base="${DOWNLOAD_URL%/}"
    [ "$VERSION" = latest ] || base="$base/$VERSION"
    info "Downloading binary $base/kubun-$ARCH"
    download "$base/sha256sum-$ARCH.txt" "$TMP_DIR/sha256" || fatal "download of sha256sum-$ARCH.txt failed"
    download "$base/kubun-$ARCH" "$TMP_DIR/kubun" || fatal "download of kubun-$ARCH failed"
    want=$(grep " kubun-$ARCH\$" "$TMP_DIR/sha256" | awk '{print $1}')
    [ -n "$want" ] || fatal "no checksum for kubun-$ARCH in sha256sum-$ARCH.txt"
    have=$(sha256sum "$TMP_DIR/kubun" | awk '{print $1}')
    [ "$want" = "$have" ] || { rm -f "$TMP_DIR/kubun"; fatal "checksum mismatch for kubun-$ARCH: expected $want, got $have"; }
  elif in_checkout; then
    build_from_checkout
  else
    fatal "no release to download: set INSTALL_KUBUN_DOWNLOAD_URL, or run install.sh from a kubun checkout"
  fi
}

install_binary() {
  if [ "$SKIP_DOWNLOAD" = true ]; then
    [ -x "$BIN_DIR/kubun" ] || fatal "INSTALL_KUBUN_SKIP_DOWNLOAD=true but $BIN_DIR/kubun is missing"
    info "Skipping kubun download"
    return
  fi
  fetch_binary
  chmod 755 "$TMP_DIR/kubun"
  if [ -f "$BIN_DIR/kubun" ] && cmp -s "$TMP_DIR/kubun" "$BIN_DIR/kubun"; then
    info "Binary $BIN_DIR/kubun is up to date"
    return
  fi
  info "Installing kubun to $BIN_DIR/kubun"
  $SUDO mv -f "$TMP_DIR/kubun" "$BIN_DIR/kubun"
  CHANGED=true
}

create_symlinks() {
  [ "$SYMLINK" = skip ] && return
  if [ "$SYMLINK" = force ] || ! command -v kubectl >/dev/null 2>&1 || [ -L "$BIN_DIR/kubectl" ]; then
    if [ ! -e "$BIN_DIR/kubectl" ] || [ -L "$BIN_DIR/kubectl" ]; then
      info "Creating $BIN_DIR/kubectl symlink to kubun"
      $SUDO ln -sf kubun "$BIN_DIR/kubectl"
    fi
  else
    info "Skipping $BIN_DIR/kubectl symlink to kubun, command exists in PATH at $(command -v kubectl)"
  fi
}

write_if_changed() { # dest mode (content on stdin)
  cat >"$TMP_DIR/new"
  if [ -f "$1" ] && cmp -s "$TMP_DIR/new" "$1"; then return 0; fi
  $SUDO mkdir -p "$(dirname "$1")"
  $SUDO cp "$TMP_DIR/new" "$1"
  $SUDO chmod "$2" "$1"
  CHANGED=true
}

create_scripts() {
  info "Creating killall script $BIN_DIR/$NAME-killall.sh"
  write_if_changed "$BIN_DIR/$NAME-killall.sh" 755 <<KILLALL
#!/bin/sh
# Stops kubun and every pod it started, removing mounts, network namespaces, bridge and rules.
set -x
[ "\$(id -u)" -eq 0 ] || exec sudo "\$0" "\$@"
for svc in /etc/systemd/system/$NAME*.service; do [ -e "\$svc" ] && systemctl stop "\$(basename "\$svc")"; done
if [ -x "$BIN_DIR/kubun" ]; then "$BIN_DIR/kubun" killall 2>/dev/null || true; fi
KILLALL
  info "Creating uninstall script $BIN_DIR/$NAME-uninstall.sh"
  write_if_changed "$BIN_DIR/$NAME-uninstall.sh" 755 <<UNINSTALL
#!/bin/sh
# Removes everything the installer and kubun created.
set -x
[ "\$(id -u)" -eq 0 ] || exec sudo "\$0" "\$@"
"$BIN_DIR/$NAME-killall.sh" || true
if command -v systemctl >/dev/null 2>&1; then systemctl disable "$NAME" 2>/dev/null || true; systemctl reset-failed "$NAME" 2>/dev/null || true; fi
rm -f "$SYSTEMD_DIR/$NAME.service" "$SYSTEMD_DIR/$NAME.service.env" /etc/init.d/$NAME
if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload 2>/dev/null || true; fi
if [ -L "$BIN_DIR/kubectl" ] && [ "\$(readlink "$BIN_DIR/kubectl")" = kubun ]; then rm -f "$BIN_DIR/kubectl"; fi
rm -rf "$CONFIG_DIR" /run/kubun "$DATA_DIR"
rm -f "$BIN_DIR/kubun" "$BIN_DIR/$NAME-killall.sh"
rm -f "$BIN_DIR/$NAME-uninstall.sh"
UNINSTALL
}

create_env_file() {
  info "env: Creating environment file $SYSTEMD_DIR/$NAME.service.env"
  env | grep -E '^KUBUN_' | sort | write_if_changed "$SYSTEMD_DIR/$NAME.service.env" 600
}

create_systemd_unit() {
  info "systemd: Creating service file $SYSTEMD_DIR/$NAME.service"
  write_if_changed "$SYSTEMD_DIR/$NAME.service" 644 <<UNIT
[Unit]
Description=kubun - lightweight Kubernetes
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=notify
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-$SYSTEMD_DIR/$NAME.service.env
KillMode=process
Delegate=yes
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStart=$BIN_DIR/kubun server $EXEC_ARGS
UNIT
}

create_openrc_script() {
  info "openrc: Creating service file /etc/init.d/$NAME"
  write_if_changed "/etc/init.d/$NAME" 755 <<RC
#!/sbin/openrc-run
depend() { after network-online; want cgroups; }
start_pre() { rm -f /tmp/kubun.*; }
supervisor=supervise-daemon
name=$NAME
command="$BIN_DIR/kubun"
command_args="server $EXEC_ARGS >>/var/log/$NAME.log 2>&1"
output_log=/var/log/$NAME.log
error_log=/var/log/$NAME.log
pidfile="/var/run/$NAME.pid"
respawn_delay=5
respawn_max=0
set -o allexport
if [ -f /etc/environment ]; then . /etc/environment; fi
if [ -f $SYSTEMD_DIR/$NAME.service.env ]; then . $SYSTEMD_DIR/$NAME.service.env; fi
set +o allexport
RC
}

start_service() {
  if [ "$INIT" = systemd ]; then
    [ "$SKIP_ENABLE" = true ] && return
    systemctl daemon-reload >/dev/null
    systemctl enable "$NAME" >/dev/null 2>&1
    [ "$SKIP_START" = true ] && return
    if [ "$CHANGED" = true ] || [ "$FORCE_RESTART" = true ] || ! systemctl is-active --quiet "$NAME"; then
      info "systemd: Starting $NAME"
      systemctl restart "$NAME"
    else
      info "No change detected so skipping service start"
    fi
  elif [ "$INIT" = openrc ]; then
    [ "$SKIP_ENABLE" = true ] && return
    rc-update add "$NAME" default >/dev/null
    [ "$SKIP_START" = true ] && return
    info "openrc: Starting $NAME"
    rc-service "$NAME" restart
  else
    [ "$SKIP_START" = true ] && return
    if pgrep -f "$BIN_DIR/kubun server" >/dev/null 2>&1 && [ "$CHANGED" != true ] && [ "$FORCE_RESTART" != true ]; then
      info "kubun is already running; nothing changed"
      return
    fi
    pkill -f "$BIN_DIR/kubun server" 2>/dev/null || true
    mkdir -p /var/log
    info "No init system found: starting kubun server in the background, logging to /var/log/$NAME.log"
    set -a
    # shellcheck disable=SC1090
    [ -f "$SYSTEMD_DIR/$NAME.service.env" ] && . "$SYSTEMD_DIR/$NAME.service.env"
    set +a
    # shellcheck disable=SC2086
    nohup "$BIN_DIR/kubun" server $EXEC_ARGS >>"/var/log/$NAME.log" 2>&1 &
  fi
}

CHANGED=false
setup_arch
setup_dirs
install_binary
create_symlinks
create_scripts
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then INIT=systemd
elif command -v openrc >/dev/null 2>&1 || [ -x /sbin/openrc-run ]; then INIT=openrc
else INIT=none; fi
if [ "$INIT" = systemd ] || [ "$INIT" = none ] || [ -n "${INSTALL_KUBUN_SYSTEMD_DIR:-}" ]; then
  create_env_file
  create_systemd_unit
fi
[ "$INIT" = openrc ] && create_openrc_script
start_service
info "Done. Try: kubun kubectl get nodes   (kubeconfig: /etc/kubun/kubun.yaml)"
