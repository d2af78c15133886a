package dev.iris.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/** The test resources every {@code @QuarkusTest} shares (one Quarkus boot for the whole suite). */
@QuarkusTestResource(SmtpResource.class)
public final class IrisTestResources {

    private IrisTestResources() {
    }
}
