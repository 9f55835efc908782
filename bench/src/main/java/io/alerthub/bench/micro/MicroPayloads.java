package io.alerthub.bench.micro;

import java.nio.charset.StandardCharsets;

/** The ~300-byte SPC sample the load scenarios publish, for the micro-benchmarks. */
final class MicroPayloads {

    static final String SAMPLE = "{\"sample\":{\"sample_id\":123456,\"characteristic_id\":7,\"value\":10.5213,"
            + "\"mean\":10.5,\"range\":0.42,\"ucl\":10.95,\"lcl\":10.05,\"zone\":\"zone_c_upper\",\"in_control\":true,"
            + "\"measurements\":[10.49,10.53,10.51,10.56,10.52],\"operator\":\"bench\"},\"violations\":[],"
            + "\"bench\":{\"sent_ns\":1763900000000000000,\"pseq\":12345}}";

    private MicroPayloads() {
    }

    /** One event as a producer posts it. */
    static String event(int characteristic) {
        return "{\"type\":\"sample\",\"characteristic_id\":" + characteristic
                + ",\"topics\":[\"line:3\"],\"severity\":\"INFO\",\"timestamp\":\"2026-02-02T12:00:00Z\",\"payload\":"
                + SAMPLE + "}";
    }

    static byte[] single() {
        return event(7).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] batch(int size) {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "" : ",").append(event(1 + i % 100));
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
