package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;

class AggregationRegistryTest {

    private record Named(String name) implements LossAggregation {
        @Override
        public SDVariable aggregate(AggregationContext context) {
            return context.objective().sum().neg();
        }
    }

    @Test
    void defaultsHoldTheFourModesInOrderAndEachCallIsANewInstance() {
        AggregationRegistry r = AggregationRegistry.defaults();
        assertEquals(List.of("sequence-mean", "token-mean", "constant", "bnpo"), r.names());
        assertTrue(r.get("bnpo") instanceof BnpoAggregation);
        assertTrue(r.get("token-mean") instanceof TokenMeanAggregation);
        assertTrue(r.get("sequence-mean") instanceof SequenceMeanAggregation);
        assertTrue(r.get("constant") instanceof ConstantAggregation);
        AggregationRegistry other = AggregationRegistry.defaults();
        assertNotSame(r, other);
        r.register(new Named("sum"));
        assertTrue(r.contains("sum"));
        assertFalse(other.contains("sum"), "registries must not share state");
        assertTrue(AggregationRegistry.empty().names().isEmpty());
    }

    @Test
    void duplicatesBlankNamesAndNullAreRejected() {
        AggregationRegistry r = AggregationRegistry.defaults();
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> r.register(new Named("token-mean")));
        assertTrue(dup.getMessage().contains("'token-mean' is already registered"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.register(new Named(" ")));
        assertThrows(IllegalArgumentException.class, () -> r.register(null));
        assertEquals(4, r.names().size());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AggregationRegistry.defaults().get("seq-mean"));
        assertTrue(e.getMessage().contains("'seq-mean'"), e.getMessage());
        assertTrue(e.getMessage().contains("[sequence-mean, token-mean, constant, bnpo]"), e.getMessage());
    }
}
