package io.alerthub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.alerthub.bench.micro.EventLogComparison;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.results.format.ResultFormatType;

/**
 * {@code ./alerthub bench --micro [JMH options]}: the JMH micro-benchmarks of the hot paths (subscription matching
 * with 10,000 subscriptions, event serialization, ingest validation, and the event-log comparison behind
 * docs/architecture.md), results in {@code bench/results/micro-<time>.json} and {@code .md}.
 */
final class MicroBenchmarks {

    private MicroBenchmarks() {
    }

    static int run(Options options, Path root) {
        String id = "micro-" + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").format(LocalDateTime.now());
        Path json = options.out().resolve(id + ".json");
        try {
            Files.createDirectories(options.out());
            CommandLineOptions cli = new CommandLineOptions(options.jmhArgs().toArray(String[]::new));
            OptionsBuilder builder = new OptionsBuilder();
            builder.parent(cli);
            if (cli.getIncludes().isEmpty()) {
                builder.include("io\\.alerthub\\.(bench\\.micro|websocket)\\..*");
            }
            builder.resultFormat(ResultFormatType.JSON).result(json.toString());
            Collection<RunResult> results = new Runner(builder.build()).run();
            StringBuilder md = new StringBuilder("# AlertHub micro-benchmarks: ").append(id).append("\n\n")
                    .append("JMH 1.37, ").append(System.getProperty("java.vendor")).append(' ')
                    .append(System.getProperty("java.version")).append(", ")
                    .append(Runtime.getRuntime().availableProcessors()).append(" cores. Score is the mean time per"
                            + " operation, +- the 99.9 % confidence half-width.\n\n")
                    .append("| benchmark | parameters | time per op | derived |\n|---|---|---|---|\n");
            boolean logs = false;
            for (RunResult r : results) {
                var params = r.getParams();
                String name = params.getBenchmark().replaceFirst("^io\\.alerthub\\.(bench\\.micro|websocket)\\.", "");
                Map<String, String> p = params.getParamsKeys().stream()
                        .collect(Collectors.toMap(k -> k, params::getParam, (a, b) -> a, java.util.LinkedHashMap::new));
                double score = r.getPrimaryResult().getScore();
                double error = r.getPrimaryResult().getScoreError();
                String unit = r.getPrimaryResult().getScoreUnit();
                String derived = "";
                if (name.startsWith("EventLogComparison") && p.containsKey("batch")) {
                    logs = true;
                    double perSecond = Integer.parseInt(p.get("batch")) / (score / 1e6);
                    derived = String.format(Locale.ROOT, "%,.0f events/s", perSecond);
                } else if (name.startsWith("IngestValidation") && name.endsWith("batchOf100")) {
                    derived = String.format(Locale.ROOT, "%,.0f events/s on one core", 100 / (score / 1e6));
                }
                md.append("| ").append(name).append(" | ")
                        .append(p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                        .collect(Collectors.joining(", ")))
                        .append(" | ").append(String.format(Locale.ROOT, "%,.1f +- %,.1f %s", score, error, unit))
                        .append(" | ").append(derived).append(" |\n");
            }
            if (logs) {
                md.append("\nDisk used by 2,000 single-event synced batches: ");
                List<String> sizes = new ArrayList<>();
                for (String store : List.of("segment-file", "h2-mvstore")) {
                    sizes.add(String.format(Locale.ROOT, "%s %.1f MB", store,
                                            EventLogComparison.diskUse(store) / 1048576.0));
                }
                md.append(String.join(", ", sizes)).append(".\n");
            }
            Path mdFile = options.out().resolve(id + ".md");
            Files.writeString(mdFile, md.toString());
            System.out.println();
            System.out.print(md);
            System.out.println("\nwrote " + json + " and " + mdFile);
            return 0;
        } catch (CommandLineOptionException e) {
            System.err.println("bench --micro: " + e.getMessage());
            return 2;
        } catch (RunnerException e) {
            System.err.println("bench --micro: JMH failed: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
