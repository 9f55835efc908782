package io.alerthub.core.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.alerthub.spi.ConfigException;
import io.alerthub.spi.NotifierProvider;

/**
 * Finds notifier providers with {@link ServiceLoader}: on the class path, and in each folder under the
 * plugins directory ({@code plugins/<name>/*.jar}), each folder through a class loader of its own whose parent
 * is the hub's. A provider that fails to load is logged with its jar and skipped.
 */
public final class PluginDiscovery {

    private static final System.Logger LOG = System.getLogger(PluginDiscovery.class.getName());
    private static final String SERVICE_FILE = "META-INF/services/" + NotifierProvider.class.getName();
    private static final Pattern PROVIDER_NAME = Pattern.compile("Provider ([\\w.$]+)");

    private PluginDiscovery() {
    }

    /**
     * Every provider found, by plugin name.
     *
     * @throws ConfigException when two providers claim the same name
     */
    public static Map<String, DiscoveredPlugin> discover(ClassLoader hubLoader, Path pluginsDir) {
        Map<String, DiscoveredPlugin> found = new LinkedHashMap<>();
        load(hubLoader, null, found);
        if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
            List<Path> folders;
            try (Stream<Path> list = Files.list(pluginsDir)) {
                folders = list.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot list plugin folders in " + pluginsDir + ": " + e.getMessage());
                folders = List.of();
            }
            for (Path folder : folders) {
                URLClassLoader loader = folderLoader(folder, hubLoader);
                if (loader != null) {
                    load(loader, folder, found);
                }
            }
        }
        return found;
    }

    private static URLClassLoader folderLoader(Path folder, ClassLoader parent) {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path jar : list.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "plugin folder " + folder + " skipped: " + e.getMessage());
            return null;
        }
        if (jars.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "plugin folder " + folder + " skipped: it holds no jar");
            return null;
        }
        return new URLClassLoader("plugin-" + folder.getFileName(), jars.toArray(URL[]::new), parent);
    }

    /**
     * Loads the providers {@code loader} defines. For a folder loader, {@link ServiceLoader} also returns the
     * parent's providers; only those whose class this loader defined are kept, so none registers twice.
     */
    private static void load(ClassLoader loader, Path folder, Map<String, DiscoveredPlugin> found) {
        Iterator<NotifierProvider> it = ServiceLoader.load(NotifierProvider.class, loader).iterator();
        while (true) {
            NotifierProvider provider;
            try {
                if (!it.hasNext()) {
                    return;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.ERROR, "plugin skipped: " + sourceOfFailure(loader, folder, e) + ": "
                        + rootMessage(e));
                continue;
            }
            if (folder != null && provider.getClass().getClassLoader() != loader) {
                continue;
            }
            String source = folder != null ? folder.toString() : sourceOf(provider.getClass());
            String name;
            try {
                name = provider.type();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "plugin skipped: " + source + ": type() failed: " + e);
                continue;
            }
            DiscoveredPlugin earlier = found.putIfAbsent(name, new DiscoveredPlugin(provider, source));
            if (earlier != null) {
                throw new ConfigException("plugins." + name, "two plugins are named " + name + ": "
                        + earlier.source() + " and " + source + "; remove one");
            }
        }
    }

    private static String sourceOf(Class<?> type) {
        try {
            URL location = type.getProtectionDomain().getCodeSource().getLocation();
            return location == null ? "class path" : Path.of(location.toURI()).toString();
        } catch (Exception e) {
            return "class path";
        }
    }

    /** The jar whose service file names the provider that failed, so the operator knows what to remove. */
    private static String sourceOfFailure(ClassLoader loader, Path folder, ServiceConfigurationError e) {
        Matcher m = PROVIDER_NAME.matcher(String.valueOf(e.getMessage()));
        String className = m.find() ? m.group(1) : null;
        if (className != null) {
            try {
                Enumeration<URL> files = loader.getResources(SERVICE_FILE);
                while (files.hasMoreElements()) {
                    URL file = files.nextElement();
                    if (lists(file, className)) {
                        return "provider " + className + " in " + jarOf(file);
                    }
                }
            } catch (IOException ignored) {
                // fall back to the folder or the class name alone
            }
        }
        String where = folder != null ? " in " + folder : "";
        return className != null ? "provider " + className + where : "a provider" + where;
    }

    private static boolean lists(URL serviceFile, String className) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(serviceFile.openStream(),
                                                                         StandardCharsets.UTF_8))) {
            return r.lines().map(l -> l.replaceAll("#.*", "").trim()).anyMatch(className::equals);
        } catch (IOException e) {
            return false;
        }
    }

    private static String jarOf(URL serviceFile) {
        String s = serviceFile.toString();
        int bang = s.indexOf("!/");
        if (s.startsWith("jar:") && bang > 0) {
            try {
                return Path.of(new URL(s.substring(4, bang)).toURI()).toString();
            } catch (MalformedURLException | java.net.URISyntaxException e) {
                return s.substring(4, bang);
            }
        }
        return s.replace("/" + SERVICE_FILE, "");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
