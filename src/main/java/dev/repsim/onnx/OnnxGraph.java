package dev.repsim.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A small builder over the ONNX protobuf classes ({@code ai.onnx.proto.OnnxMl}): float32 graph inputs
 * and outputs with a symbolic batch dimension, float32/int64 initializers stored as little-endian raw
 * data, nodes with int/float attributes, serialised as an opset-17 model (IR version 8).
 */
public final class OnnxGraph {
    public static final int OPSET = 17;
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int nodes;

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A float32 graph input; a dimension of -1 is the symbolic batch size. */
    public OnnxGraph input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return this;
    }

    public OnnxGraph output(String name, long... dims) {
        graph.addOutput(valueInfo(name, dims));
        return this;
    }

    public OnnxGraph initializer(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        graph.addInitializer(tensor(name, dims, OnnxMl.TensorProto.DataType.FLOAT, b.array()));
        return this;
    }

    public OnnxGraph initializer(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        graph.addInitializer(tensor(name, dims, OnnxMl.TensorProto.DataType.INT64, b.array()));
        return this;
    }

    /** Adds a node; attributes are name/value pairs (Integer, Float, long[] or int[]). */
    public OnnxGraph node(String op, String[] inputs, String output, Object... attributes) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder()
                .setOpType(op).setName(op + "_" + (nodes++)).addOutput(output);
        for (String in : inputs) n.addInput(in);
        for (int i = 0; i < attributes.length; i += 2) {
            n.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
        }
        graph.addNode(n);
        return this;
    }

    public byte[] toBytes(String producer) {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName(producer)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build().toByteArray();
    }

    private static OnnxMl.AttributeProto attribute(String name, Object value) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        switch (value) {
            case Integer i -> a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(i);
            case Long l -> a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
            case Float f -> a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
            case long[] ls -> {
                a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
                for (long l : ls) a.addInts(l);
            }
            case int[] is -> {
                a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
                for (int i : is) a.addInts(i);
            }
            default -> throw new IllegalArgumentException("unsupported attribute type for " + name + ": " + value.getClass());
        }
        return a.build();
    }

    private static OnnxMl.TensorProto tensor(String name, long[] dims, OnnxMl.TensorProto.DataType type, byte[] raw) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) t.addDims(d);
        return t.setRawData(ByteString.copyFrom(raw)).build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d < 0) dim.setDimParam("batch");
            else dim.setDimValue(d);
            shape.addDim(dim);
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
