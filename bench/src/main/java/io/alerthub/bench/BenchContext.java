package io.alerthub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where things are for one run: the repository, the distribution, this run's scratch directory, and the programs
 * the peers need (Node.js with {@code ws} installed, Mosquitto), when they are there.
 */
record BenchContext(Options options, Path root, Path tmp, Path java, String classPath, Optional<Path> node,
                    Optional<Path> mosquitto) {

    static BenchContext create(Options options, Path root, String runId) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path tmp = root.resolve("bench/results/tmp").resolve(runId);
        Optional<Path> node = onPath("node").filter(n -> Files.isDirectory(root.resolve("bench/node_modules/ws")));
        Optional<Path> mosquitto = Optional.of(Path.of("/usr/sbin/mosquitto")).filter(Files::isExecutable)
                .or(() -> onPath("mosquitto"));
        return new BenchContext(options, root, tmp, java, System.getProperty("java.class.path"), node, mosquitto);
    }

    Path dist() {
        return options.dist();
    }

    Path benchDir() {
        return root.resolve("bench");
    }

    String hubJavaOpts() {
        return options.hubJavaOpts();
    }

    boolean quick() {
        return options.quick();
    }

    /** A program on the PATH. */
    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
