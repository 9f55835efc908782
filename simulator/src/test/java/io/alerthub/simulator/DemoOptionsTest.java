package io.alerthub.simulator;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoOptionsTest {

    @Test
    void defaultsAreThreeCharacteristicsAtOneSubgroupPerSecond() {
        DemoOptions o = DemoOptions.parse(new String[0], () -> 77);
        SimulationSettings s = o.simulation();
        assertEquals(List.of("Bore diameter", "Fill weight", "Torque"),
                     s.characteristics().stream().map(CharacteristicSpec::name).toList());
        assertEquals(List.of(Behaviour.IN_CONTROL, Behaviour.DRIFT, Behaviour.SHIFT),
                     s.characteristics().stream().map(CharacteristicSpec::behaviour).toList());
        assertEquals(1.0, s.rate());
        assertEquals(5, s.subgroupSize());
        assertEquals(20, s.baseline());
        assertEquals(EnumSet.allOf(NelsonRule.class), s.rules());
        assertEquals(77, s.seed());
        assertEquals(Optional.empty(), o.config());
        assertEquals(Optional.empty(), o.token());
    }

    @Test
    void everyOptionIsRead() {
        DemoOptions o = DemoOptions.parse(new String[] {"--config", "conf/a.yaml", "--rate=2.5", "--characteristics",
                "Torque, Oven temperature:drift", "--subgroup-size", "1", "--baseline", "25", "--rules", "1,2,3,5",
                "--seed", "9", "--token", "t0k3n"}, () -> 1);
        assertEquals(Optional.of(Path.of("conf/a.yaml")), o.config());
        SimulationSettings s = o.simulation();
        assertEquals(2.5, s.rate());
        assertEquals(List.of(new CharacteristicSpec(1, "Torque", "N·m", 12.0, 0.3, 2, Behaviour.SHIFT),
                             new CharacteristicSpec(2, "Oven temperature", "", 100.0, 1.0, 2, Behaviour.DRIFT)),
                     s.characteristics());
        assertEquals(1, s.subgroupSize());
        assertEquals(25, s.baseline());
        assertEquals(EnumSet.of(NelsonRule.BEYOND_3_SIGMA, NelsonRule.NINE_ON_ONE_SIDE, NelsonRule.SIX_TRENDING,
                                NelsonRule.TWO_OF_THREE_BEYOND_2_SIGMA), s.rules());
        assertEquals(9, s.seed());
        assertEquals(Optional.of("t0k3n"), o.token());
    }

    @Test
    void aCountOfCharacteristicsGoesBeyondTheCatalogue() {
        List<CharacteristicSpec> c = DemoOptions.parse(new String[] {"--characteristics", "10"}, () -> 1)
                .simulation().characteristics();
        assertEquals(10, c.size());
        assertEquals("Weld strength", c.get(7).name());
        assertEquals("Characteristic 10", c.get(9).name());
        assertEquals(10, c.get(9).id());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--rate 0                      | --rate must be above 0 and at most 100 subgroups per second per"
                    + " characteristic",
            "--rate fast                   | --rate must be a number, not 'fast'",
            "--rate                        | --rate needs a value",
            "--characteristics 0           | --characteristics: the number of characteristics must be from 1 to 100",
            "--characteristics A:wobble    | --characteristics: unknown behaviour 'wobble' (in-control, drift or"
                    + " shift)",
            "--subgroup-size 11            | --subgroup-size must be from 1 to 10",
            "--subgroup-size 4294967301    | --subgroup-size is out of range: 4294967301",
            "--baseline 5                  | --baseline must be from 10 to 500 subgroups",
            "--rules 1,9                   | --rules: there is no Nelson rule 9 (rules are 1 to 8)",
            "--rules x                     | --rules: 'x' is not a rule number (1 to 8)",
            "--seed 1.5                    | --seed must be a whole number, not '1.5'",
            "--colour red                  | unknown option --colour",
            "start                         | unexpected argument 'start'"})
    void badArgumentsAreNamed(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> DemoOptions.parse(args.trim().split(" +"), () -> 1));
        assertEquals(message, e.getMessage());
    }

    @Test
    void helpIsAnOption() {
        assertTrue(DemoOptions.parse(new String[] {"--rate", "2", "--help"}, () -> 1).help());
    }

    @Test
    void clusterRunsThreeInstancesUnlessToldHowMany() {
        assertEquals(0, DemoOptions.parse(new String[0], () -> 1).instances());
        assertEquals(3, DemoOptions.parse(new String[] {"--cluster"}, () -> 1).instances());
        assertEquals(5, DemoOptions.parse(new String[] {"--cluster", "--instances", "5"}, () -> 1).instances());
        assertThrows(IllegalArgumentException.class,
                     () -> DemoOptions.parse(new String[] {"--instances", "2"}, () -> 1));
        assertThrows(IllegalArgumentException.class,
                     () -> DemoOptions.parse(new String[] {"--cluster", "--instances", "12"}, () -> 1));
    }
}
