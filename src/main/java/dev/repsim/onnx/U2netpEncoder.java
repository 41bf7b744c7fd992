package dev.repsim.onnx;

import ai.onnx.proto.OnnxMl;
import dev.repsim.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code u2netp-encoder}: the shipped U²-Net-p salient-object network (Qin et al. 2020) cut after its
 * deepest encoder stage and pooled to a vector. U²-Net's encoder is six residual U-blocks, with a 2×2
 * max-pool between consecutive stages; each stage ends in the residual Add of its block, so the pools
 * between stages are exactly the MaxPool nodes whose input an Add produces (the pools inside a block
 * read a Relu). The deepest stage's output is the first Add after the fifth such pool (320×320 input:
 * 64 channels at 10×10). The edit keeps only the nodes that tensor needs, appends GlobalAveragePool and
 * Flatten as output {@value #OUTPUT} [B, 64], and makes the batch dimension symbolic.
 */
public final class U2netpEncoder {
    public static final String OUTPUT = "features";
    /** Stages of U²-Net's encoder; pools between them. */
    static final int STAGES = 6;

    private U2netpEncoder() {}

    /** The encoder model made from the U²-Net-p ONNX file {@code u2netp}. */
    public static byte[] fromFile(Path u2netp) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(u2netp));
        } catch (IOException | RuntimeException e) {
            throw new InputException(u2netp, "cannot read the U²-Net-p model: " + InputException.firstLine(e.getMessage()), e);
        }
        return edit(model, u2netp).toByteArray();
    }

    static OnnxMl.ModelProto edit(OnnxMl.ModelProto model, Path file) {
        OnnxMl.GraphProto g = model.getGraph();
        List<OnnxMl.NodeProto> nodes = g.getNodeList();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) for (String o : nodes.get(i).getOutputList()) producer.put(o, i);
        List<Integer> stagePools = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            OnnxMl.NodeProto n = nodes.get(i);
            Integer from = n.getInputCount() == 0 ? null : producer.get(n.getInput(0));
            if (n.getOpType().equals("MaxPool") && from != null && nodes.get(from).getOpType().equals("Add")) stagePools.add(i);
        }
        if (stagePools.size() != STAGES - 1) {
            throw new InputException(file, "does not look like U²-Net: " + stagePools.size() + " max-pools between encoder stages, expected " + (STAGES - 1));
        }
        int deepest = -1;
        for (int i = stagePools.getLast() + 1; i < nodes.size() && deepest < 0; i++) if (nodes.get(i).getOpType().equals("Add")) deepest = i;
        if (deepest < 0) throw new InputException(file, "does not look like U²-Net: no residual Add after the last encoder pool");
        String stage = nodes.get(deepest).getOutput(0);
        long channels = channels(g, nodes, producer, deepest, file);

        // the nodes the deepest stage needs, in their original (topological) order
        Set<Integer> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(stage));
        while (!todo.isEmpty()) {
            Integer p = producer.get(todo.pop());
            if (p != null && keep.add(p)) todo.addAll(nodes.get(p).getInputList());
        }
        Set<String> used = new HashSet<>();
        OnnxMl.GraphProto.Builder out = OnnxMl.GraphProto.newBuilder().setName("u2netp-encoder");
        for (int i = 0; i < nodes.size(); i++) {
            if (!keep.contains(i)) continue;
            out.addNode(nodes.get(i));
            used.addAll(nodes.get(i).getInputList());
        }
        out.addNode(OnnxMl.NodeProto.newBuilder().setOpType("GlobalAveragePool").setName("encoder_pool").addInput(stage).addOutput("encoder_pooled"));
        out.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Flatten").setName("encoder_flatten").addInput("encoder_pooled").addOutput(OUTPUT)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)));
        for (OnnxMl.TensorProto t : g.getInitializerList()) if (used.contains(t.getName())) out.addInitializer(t);
        Set<String> initializers = new HashSet<>();
        g.getInitializerList().forEach(t -> initializers.add(t.getName()));
        for (OnnxMl.ValueInfoProto in : g.getInputList()) {
            if (initializers.contains(in.getName())) continue;
            if (!used.contains(in.getName())) throw new InputException(file, "input '" + in.getName() + "' does not feed the encoder");
            out.addInput(symbolicBatch(in));
        }
        // value_info of the full graph records batch 1: left out so that the batch can vary
        out.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(OUTPUT).setType(floatType(dim("batch"), dim(channels))));
        return model.toBuilder().setGraph(out).setProducerName("repsim u2netp-encoder").build();
    }

    /** Output channels of the deepest stage: those of the last convolution that feeds its Add. */
    private static long channels(OnnxMl.GraphProto g, List<OnnxMl.NodeProto> nodes, Map<String, Integer> producer, int add, Path file) {
        Map<String, OnnxMl.TensorProto> init = new HashMap<>();
        g.getInitializerList().forEach(t -> init.put(t.getName(), t));
        Integer n = producer.get(nodes.get(add).getInput(0));
        while (n != null && !nodes.get(n).getOpType().equals("Conv")) n = nodes.get(n).getInputCount() == 0 ? null : producer.get(nodes.get(n).getInput(0));
        OnnxMl.TensorProto w = n == null || nodes.get(n).getInputCount() < 2 ? null : init.get(nodes.get(n).getInput(1));
        if (w == null || w.getDimsCount() != 4) throw new InputException(file, "does not look like U²-Net: no convolution weight before the deepest stage's Add");
        return w.getDims(0);
    }

    private static OnnxMl.ValueInfoProto symbolicBatch(OnnxMl.ValueInfoProto in) {
        OnnxMl.TypeProto.Tensor t = in.getType().getTensorType();
        OnnxMl.TensorShapeProto.Builder shape = t.getShape().toBuilder();
        if (shape.getDimCount() > 0) shape.setDim(0, dim("batch"));
        return in.toBuilder().setType(OnnxMl.TypeProto.newBuilder().setTensorType(t.toBuilder().setShape(shape))).build();
    }

    private static OnnxMl.TensorShapeProto.Dimension dim(Object d) {
        OnnxMl.TensorShapeProto.Dimension.Builder b = OnnxMl.TensorShapeProto.Dimension.newBuilder();
        return (d instanceof Long l ? b.setDimValue(l) : b.setDimParam((String) d)).build();
    }

    private static OnnxMl.TypeProto floatType(OnnxMl.TensorShapeProto.Dimension... dims) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (OnnxMl.TensorShapeProto.Dimension d : dims) s.addDim(d);
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(s)).build();
    }
}
