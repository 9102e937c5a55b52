# Sourced by ./stampede and ./run-tests: sets JAVA_HOME to a JDK >= 21 (with javac, which in-process
# scenario compilation needs): $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm, else
# the java on PATH. Exits 3 with what to install when there is none. Sets STAMPEDE_JAVA_MAJOR to its
# feature version.

stampede_java_major() {
  # Prints the major version of the java binary $1, or 0.
  local line
  line=$("$1" -XshowSettings:properties -version 2>&1 | grep 'java.specification.version' | head -n1)
  line=${line##*= }
  line=${line#1.}
  [[ "$line" =~ ^[0-9]+$ ]] && echo "$line" || echo 0
}

stampede_find_jdk() {
  local candidate best="" best_major=0 major
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]]; then
    major=$(stampede_java_major "$JAVA_HOME/bin/java")
    if (( major >= 21 )); then
      STAMPEDE_JAVA_MAJOR=$major
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*/ /opt/java/*/ "$HOME"/.sdkman/candidates/java/*/; do
    candidate=${candidate%/}
    [[ -x "$candidate/bin/javac" ]] || continue
    major=$(stampede_java_major "$candidate/bin/java")
    if (( major >= 21 && major > best_major )); then
      best=$candidate
      best_major=$major
    fi
  done
  if [[ -z "$best" ]] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(stampede_java_major "$candidate/bin/java")
    (( major >= 21 )) && best=$candidate && best_major=$major
  fi
  if [[ -z "$best" ]]; then
    echo "stampede: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm and PATH)." >&2
    echo "stampede: install one, e.g. 'apt-get install openjdk-21-jdk' or 'apt-get install temurin-21-jdk', or set JAVA_HOME." >&2
    exit 3
  fi
  export JAVA_HOME=$best
  STAMPEDE_JAVA_MAJOR=$best_major
}

stampede_find_jdk
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "stampede: Maven is needed to build Stampede: install it with 'apt-get install maven'." >&2
  exit 3
fi
