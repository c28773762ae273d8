package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AdvantageEstimatorsTest {

    /** A user estimator: every advantage is the reward itself (for registry tests only). */
    private static AdvantageEstimator named(String name) {
        return new AdvantageEstimator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Advantages estimate(double[][] rewards, AdvantageConfig cfg, int promptIndex) {
                return new Advantages(new double[] {rewards[0][0]}, new double[][] {{rewards[0][0]}},
                        new double[] {rewards[0][0]}, 0, 0, true, 1, 1);
            }
        };
    }

    @Test
    void defaultsHoldExactlyTheThreeBuiltIns() {
        AdvantageEstimators reg = AdvantageEstimators.defaults();
        assertEquals(List.of("dr-grpo", "grpo", "grpo-ma"), reg.names());
        assertTrue(reg.get("grpo-ma") instanceof GrpoMaEstimator);
        assertTrue(reg.get("grpo") instanceof GrpoEstimator);
        assertTrue(reg.get("dr-grpo") instanceof DrGrpoEstimator);
    }

    @Test
    void registriesAreIndependentInstances() {
        AdvantageEstimators a = AdvantageEstimators.defaults();
        a.register(named("mine"));
        assertTrue(a.contains("mine"));
        assertFalse(AdvantageEstimators.defaults().contains("mine"));
        assertTrue(new AdvantageEstimators().names().isEmpty());
    }

    @Test
    void duplicateNamesAreRejected() {
        AdvantageEstimators reg = AdvantageEstimators.defaults();
        String msg = assertThrows(IllegalArgumentException.class, () -> reg.register(named("grpo"))).getMessage();
        assertTrue(msg.contains("'grpo'") && msg.contains("already registered"), msg);
        assertTrue(reg.get("grpo") instanceof GrpoEstimator, "the original stays registered");
        assertThrows(IllegalArgumentException.class, () -> reg.register(named(" ")));
        assertThrows(IllegalArgumentException.class, () -> reg.register(null));
    }

    @Test
    void missListsKnownNamesSorted() {
        AdvantageEstimators reg = AdvantageEstimators.defaults().register(named("a-first"));
        String msg = assertThrows(IllegalArgumentException.class, () -> reg.get("ppo")).getMessage();
        assertTrue(msg.contains("'ppo'") && msg.contains("[a-first, dr-grpo, grpo, grpo-ma]"), msg);
        assertThrows(IllegalArgumentException.class, () -> reg.get(null));
        AdvantageEstimator mine = named("z");
        reg.register(mine);
        assertSame(mine, reg.get("z"));
    }
}
