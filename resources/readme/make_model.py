"""Build the small text model the README's model screenshot opens.

    python resources/readme/make_model.py OUT.keras

A sentiment-style Keras 3 model, untrained (the weights are Keras' initial ones; dropout
does not care): TextVectorization -> Embedding(1000, 16) -> SpatialDropout1D(0.2) ->
GRU(8, dropout=0.3) -> Dense(1). The vectorizer learns its vocabulary from a few lines.
"""

from __future__ import annotations

import sys

CORPUS = [
    "the movie was great and the cast was wonderful",
    "what a boring film with a terrible plot",
    "i loved the music but the ending was weak",
    "a wonderful story told with great care",
    "the plot was thin and the acting was terrible",
]
TEXT = "the movie was great; what a boring film"
"""The rows the screenshot vectorizes (split by ';' in the window's text field)."""


def build(path: str) -> str:
    import keras
    from keras import layers

    vectorizer = layers.TextVectorization(
        max_tokens=1000, output_sequence_length=8, name="vectorizer"
    )
    vectorizer.adapt(CORPUS)
    text = keras.Input((1,), dtype="string", name="review")
    hidden = layers.Embedding(1000, 16, name="embedding")(vectorizer(text))
    hidden = layers.SpatialDropout1D(0.2, name="spatial_dropout")(hidden)
    hidden = layers.GRU(8, dropout=0.3, name="gru")(hidden)
    model = keras.Model(text, layers.Dense(1, name="score")(hidden))
    model.save(path)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1]))
