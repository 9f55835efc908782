package io.alerthub.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real plugin jars at test time: compiles sources against the hub and packs them with a service file. */
final class PluginJars {

    private PluginJars() {
    }

    /**
     * @param sources   class name → source
     * @param providers the lines of META-INF/services/io.alerthub.spi.NotifierProvider
     */
    static Path build(Path work, Path jar, Map<String, String> sources, List<String> providers) {
        try {
            Path src = Files.createDirectories(work.resolve("src-" + jar.getFileName()));
            Path classes = Files.createDirectories(work.resolve("classes-" + jar.getFileName()));
            for (var e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-cp",
                                                                  System.getProperty("java.class.path")));
            try (Stream<Path> files = Files.walk(src)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
            }
            if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("plugin sources did not compile");
            }
            Files.createDirectories(jar.getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
                j.putNextEntry(new JarEntry("META-INF/services/io.alerthub.spi.NotifierProvider"));
                j.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path p : files.filter(Files::isRegularFile).toList()) {
                        j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                        j.write(Files.readAllBytes(p));
                        j.closeEntry();
                    }
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
