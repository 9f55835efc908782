# Sourced by bin/alerthub and by the repository's ./alerthub: sets JAVA_HOME and JAVA to a JDK 21 or newer, and
# JAVA_MAJOR to its feature version (so callers need not run `java -version` again).
# Looks at JAVA_HOME first, then the JDKs under /usr/lib/jvm (the newest wins); the plain `java` on the PATH
# may be older and is not trusted. On failure it prints one line and returns 1.

alerthub_java_major() {
    # "openjdk version "25.0.3" ..." / "java version "1.8.0_x"" -> 25 / 8
    "$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\)\(\.\([0-9]*\)\)\{0,1\}.*/\1 \3/p' | head -n 1 |
        awk '{ print ($1 == 1 ? $2 : $1) }'
}

alerthub_find_java() {
    local best="" best_major=0 candidate major
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        major=$(alerthub_java_major "$JAVA_HOME/bin/java")
        if [ "${major:-0}" -ge 21 ]; then
            JAVA="$JAVA_HOME/bin/java"
            JAVA_MAJOR=$major
            export JAVA_HOME JAVA JAVA_MAJOR
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        major=$(alerthub_java_major "$candidate")
        if [ "${major:-0}" -ge 21 ] && [ "${major:-0}" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    if [ -z "$best" ]; then
        if [ -n "${JAVA_HOME:-}" ]; then
            echo "alerthub: needs a JDK 21 or newer; JAVA_HOME ($JAVA_HOME) is older and none was found under /usr/lib/jvm" >&2
        else
            echo "alerthub: needs a JDK 21 or newer; none was found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
        fi
        return 1
    fi
    JAVA_HOME=$(cd "$(dirname "$best")/.." && pwd -P)
    JAVA="$JAVA_HOME/bin/java"
    JAVA_MAJOR=$best_major
    export JAVA_HOME JAVA JAVA_MAJOR
}
