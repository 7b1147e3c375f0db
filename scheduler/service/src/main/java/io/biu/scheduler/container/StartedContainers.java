package io.biu.scheduler.container;

import io.biu.scheduler.app.App;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.node.Node;

/**
 * What is told of every container the launcher has just started: the agent, which probes it until it is ready. (An
 * interface here, so that containers do not depend on the agent that depends on them.)
 */
public interface StartedContainers {

    /** {@code started} runs on {@code node}, whose engine is {@code engine}. */
    void started(App app, Node node, Container started, Engine engine);
}
