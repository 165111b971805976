# Sourced by ./postern and ./run-tests: finds a JDK >= 25 and Maven, builds Postern when sources changed.
# Sets JAVA (the java binary) and JAVA_HOME. Messages are for people: say what is wrong and how to fix it.

POSTERN_MIN_JAVA=25

# Prints the feature version (17, 21, 25, …) of the java binary $1, or nothing.
postern_java_feature() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# The feature version of the JDK in $1 from its `release` file (JAVA_VERSION="25.0.3"; "1.8.0_…" before 9), read
# without starting a JVM: each probe of a java binary costs 50–100 ms, paid on every `postern` command. Asks the
# binary only when the file is missing or says nothing usable.
postern_jdk_feature() {
  local v=
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\)\..*/\1/p; s/^JAVA_VERSION="\([0-9]*\)"$/\1/p' "$1/release" | head -n 1)
  [ "$v" = 1 ] && v=8
  [ -n "$v" ] && { echo "$v"; return; }
  postern_java_feature "$1/bin/java"
}

postern_is_jdk() {  # $1 = a JAVA_HOME candidate: needs java and javac (Maven compiles) of a new enough version
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$(postern_jdk_feature "$1")
  [ -n "$v" ] && [ "$v" -ge "$POSTERN_MIN_JAVA" ]
}

postern_find_jdk() {
  local cand
  if [ -n "${JAVA_HOME:-}" ] && postern_is_jdk "$JAVA_HOME"; then :
  elif cand=$(command -v java 2>/dev/null) && cand=$(readlink -f "$cand") && cand=${cand%/bin/java} \
       && postern_is_jdk "$cand"; then JAVA_HOME=$cand
  else
    JAVA_HOME=
    # newest first: version-sort the directory names in reverse
    for cand in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV); do
      if postern_is_jdk "$cand"; then JAVA_HOME=$cand; break; fi
    done
    if [ -z "$JAVA_HOME" ]; then
      echo "postern: no JDK ${POSTERN_MIN_JAVA} or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm/*)." >&2
      echo "postern: install one, e.g. 'apt-get install openjdk-25-jdk' or a Temurin 25 JDK, or set JAVA_HOME to it." >&2
      exit 1
    fi
  fi
  export JAVA_HOME
  JAVA="$JAVA_HOME/bin/java"
}

# Builds app/target/postern.jar (+ lib/) when it is missing or any pom or source file is newer.
postern_build_if_stale() {
  local root=$1 jar=$1/app/target/postern.jar
  if [ -f "$jar" ] && [ -z "$(find "$root" -path "$root/.git" -prune -o -path '*/target' -prune -o \
        \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "postern: Maven is needed to build Postern the first time: install it ('apt-get install maven') and run again." >&2
    exit 1
  fi
  echo "postern: building (first use or sources changed)…" >&2
  # one build at a time, even when several launches race
  ( flock 9
    if ! (cd "$root" && mvn -q -B -DskipTests package) >&2; then
      echo "postern: the build failed (output above)." >&2
      exit 1
    fi
  ) 9>"$root/.postern-build.lock" || exit 1
}
