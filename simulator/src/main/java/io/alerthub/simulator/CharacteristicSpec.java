package io.alerthub.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A simulated characteristic: what is measured and how its process behaves.
 *
 * @param id        the characteristic id it is published under
 * @param name      what is measured ("Bore diameter")
 * @param unit      the unit of its values
 * @param target    the process mean when in control
 * @param sigma     the standard deviation of a single measurement
 * @param decimals  the resolution of the gauge
 * @param behaviour how the process misbehaves
 */
record CharacteristicSpec(int id, String name, String unit, double target, double sigma, int decimals,
                          Behaviour behaviour) {

    /** Realistic machining and filling characteristics; the first three show each behaviour. */
    private static final List<CharacteristicSpec> CATALOGUE = List.of(
            new CharacteristicSpec(1, "Bore diameter", "mm", 25.0, 0.012, 3, Behaviour.IN_CONTROL),
            new CharacteristicSpec(2, "Fill weight", "g", 500.0, 1.5, 1, Behaviour.DRIFT),
            new CharacteristicSpec(3, "Torque", "N·m", 12.0, 0.3, 2, Behaviour.SHIFT),
            new CharacteristicSpec(4, "Seal width", "mm", 3.2, 0.05, 3, Behaviour.IN_CONTROL),
            new CharacteristicSpec(5, "Coating thickness", "µm", 40.0, 1.2, 1, Behaviour.DRIFT),
            new CharacteristicSpec(6, "Shaft runout", "mm", 0.05, 0.004, 4, Behaviour.SHIFT),
            new CharacteristicSpec(7, "Surface roughness", "µm", 0.8, 0.05, 3, Behaviour.IN_CONTROL),
            new CharacteristicSpec(8, "Weld strength", "kN", 18.0, 0.6, 1, Behaviour.DRIFT));

    static final int MAX_COUNT = 100;

    /** The first {@code count} characteristics: the catalogue, then generic ones cycling through the behaviours. */
    static List<CharacteristicSpec> defaults(int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the number of characteristics must be from 1 to " + MAX_COUNT);
        }
        List<CharacteristicSpec> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(i <= CATALOGUE.size() ? CATALOGUE.get(i - 1) : generic(i, "Characteristic " + i,
                    Behaviour.values()[(i - 1) % Behaviour.values().length]));
        }
        return out;
    }

    /**
     * Characteristics given as {@code NAME[:BEHAVIOUR]}, numbered from 1. A catalogue name keeps its unit and scale
     * (and its behaviour unless one is given); any other name gets a generic scale.
     */
    static List<CharacteristicSpec> named(List<String> items) {
        if (items.isEmpty() || items.size() > MAX_COUNT) {
            throw new IllegalArgumentException("give 1 to " + MAX_COUNT + " characteristics");
        }
        List<CharacteristicSpec> out = new ArrayList<>();
        for (String item : items) {
            int colon = item.lastIndexOf(':');
            String name = (colon < 0 ? item : item.substring(0, colon)).trim();
            if (name.isEmpty() || name.length() > 64 || name.codePoints().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("characteristic name '" + item
                        + "' must be 1 to 64 printable characters");
            }
            int id = out.size() + 1;
            CharacteristicSpec known = CATALOGUE.stream()
                    .filter(c -> c.name.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(null);
            Behaviour behaviour = colon >= 0 ? Behaviour.parse(item.substring(colon + 1))
                    : known != null ? known.behaviour : Behaviour.values()[(id - 1) % Behaviour.values().length];
            out.add(known == null ? generic(id, name, behaviour)
                    : new CharacteristicSpec(id, known.name, known.unit, known.target, known.sigma, known.decimals,
                                             behaviour));
        }
        return out;
    }

    private static CharacteristicSpec generic(int id, String name, Behaviour behaviour) {
        return new CharacteristicSpec(id, name, "", 100.0, 1.0, 2, behaviour);
    }
}
