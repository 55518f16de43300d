"""The Keras layer classes dropgui knows, by what they do to an Embedding's output.

A saved model's structure (`model.py`) follows the embedding output through these
classes; the safety check (`model_file.check_safe`) accepts a layer only if its class is
one of `KNOWN_LAYERS` and refuses `CODE_CLASSES` by name. A new kind of saved-model layer
is named here first.
"""

DROPOUT_MODES = {
    "Dropout": "dropout",
    "SpatialDropout1D": "spatial",
    "GaussianDropout": "gaussian",
    "AlphaDropout": "alpha",
}
"""Dropout layers and the dropgui mode that draws and applies exactly what they do."""

RECURRENT = ("LSTM", "GRU", "SimpleRNN")
_PASS_THROUGH = """Activation ActivityRegularization BatchNormalization GaussianNoise Identity
    LayerNormalization Masking UnitNormalization"""
PASS_THROUGH = frozenset(_PASS_THROUGH.split())
"""Layers after which a (batch, seq, dim) tensor still has the embedding's positions and
channels, so a dropout further on still acts on the embedding output's structure."""

MODEL_CLASSES = ("Sequential", "Functional", "Model")
_OTHER_LAYERS = """InputLayer Embedding TextVectorization StringLookup IntegerLookup Hashing
    CategoryEncoding Dense EinsumDense ReLU LeakyReLU PReLU ELU Softmax
    Bidirectional TimeDistributed RNN LSTMCell GRUCell SimpleRNNCell StackedRNNCells
    Conv1D SeparableConv1D DepthwiseConv1D Conv1DTranspose Convolution1D
    MaxPooling1D AveragePooling1D MaxPool1D AvgPool1D GlobalAveragePooling1D
    GlobalMaxPooling1D GlobalAvgPool1D GlobalMaxPool1D Flatten Reshape Permute
    RepeatVector Cropping1D UpSampling1D ZeroPadding1D Add Subtract Multiply Average
    Maximum Minimum Concatenate Dot Attention AdditiveAttention MultiHeadAttention
    GroupQueryAttention GroupNormalization RMSNormalization"""
KNOWN_LAYERS = frozenset(
    {*DROPOUT_MODES, *RECURRENT, *PASS_THROUGH, *MODEL_CLASSES, *_OTHER_LAYERS.split()}
)
"""Built-in layers whose configuration dropgui accepts: none runs code from the file.
Lambda is refused by name; any other class (custom, or outside this list) by omission."""

CODE_CLASSES = ("Lambda", "TFOpLambda", "__lambda__")
"""Objects whose configuration carries Python code (bytecode or a function by name)."""
