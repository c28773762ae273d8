package io.github.dl4jgrpoma.dl4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OffHeapGcListenerTest {
    @Test
    void anIntervalBelowOneIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OffHeapGcListener(0));
        assertTrue(e.getMessage().contains("every = 0") && e.getMessage().contains("use 1"), e.getMessage());
    }
}
