//! The pose model file: which one, where its bytes come from, and the checks that make a wrong
//! file a clear error instead of a crash.
//!
//! The two MoveNet models ship inside the binary (`include_bytes!`), so the app needs no install
//! step and cannot lose them. `--model PATH` loads any other MoveNet-format ONNX file.
//! See `models/README.md` for where the built-in files come from.

use std::fmt;
use std::io::Cursor;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use tract_onnx::prelude::*;
use tract_onnx::tract_hir::infer::Factoid;

use super::postprocess::{OUTPUT_LEN, VALUES_PER_KEYPOINT};
use crate::pose::KEYPOINT_COUNT;

/// MoveNet SinglePose Lightning (192x192), converted by `scripts/export-models.sh`.
pub const LIGHTNING_ONNX: &[u8] = include_bytes!("../../models/movenet-lightning.onnx");
/// MoveNet SinglePose Thunder (256x256), converted by `scripts/export-models.sh`.
pub const THUNDER_ONNX: &[u8] = include_bytes!("../../models/movenet-thunder.onnx");

/// Which pose model to run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ModelChoice {
    /// Built-in MoveNet Lightning: fast, the default.
    #[default]
    Lightning,
    /// Built-in MoveNet Thunder: about 3.5x the work of Lightning, more precise keypoints.
    Thunder,
    /// A MoveNet-format ONNX file on disk.
    File(PathBuf),
}

impl FromStr for ModelChoice {
    type Err = std::convert::Infallible;

    /// `lightning` and `thunder` (any case) name the built-in models; anything else is a path
    /// (write `./thunder` for a file that happens to be called `thunder`).
    fn from_str(text: &str) -> Result<ModelChoice, Self::Err> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "lightning" => ModelChoice::Lightning,
            "thunder" => ModelChoice::Thunder,
            _ => ModelChoice::File(PathBuf::from(text)),
        })
    }
}

impl fmt::Display for ModelChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelChoice::Lightning => f.write_str("built-in MoveNet Lightning"),
            ModelChoice::Thunder => f.write_str("built-in MoveNet Thunder"),
            ModelChoice::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// What MoveNet's input and output must look like; shown in errors so a user can check a file.
const EXPECTED_FORMAT: &str = "a MoveNet SinglePose ONNX model with one float32 input [1,S,S,3] \
     (NHWC, RGB 0..255) and one float32 output [1,1,17,3] (y, x, score); \
     scripts/export-models.sh makes such files";

/// A model file that cannot be used, with what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// `--model` names a file that is not there.
    #[error(
        "model file {path} does not exist: check the path given to --model, or leave --model out \
         to use the built-in Lightning model"
    )]
    Missing {
        /// The path that was looked up.
        path: PathBuf,
    },
    /// The file exists but cannot be read.
    #[error("cannot read model file {path}: {source}; check that it is a readable file")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why the read failed.
        source: std::io::Error,
    },
    /// The bytes are not a loadable ONNX model (truncated download, another format).
    #[error("model {model} is not a readable ONNX file ({reason}); expected {EXPECTED_FORMAT}")]
    NotOnnx {
        /// Which model.
        model: String,
        /// What the ONNX parser said.
        reason: String,
    },
    /// A valid ONNX model, but not shaped like MoveNet.
    #[error("model {model} has {what} {found}; expected {EXPECTED_FORMAT}")]
    WrongShape {
        /// Which model.
        model: String,
        /// Which part is off ("input shape", "output count", ...).
        what: &'static str,
        /// What the file has.
        found: String,
    },
    /// tract could not optimise or plan the model.
    #[error("model {model} could not be prepared for inference ({reason}); expected {EXPECTED_FORMAT}")]
    Unsupported {
        /// Which model.
        model: String,
        /// What tract said.
        reason: String,
    },
}

/// A MoveNet model ready to run, with the side of its square input.
pub(crate) struct LoadedModel {
    pub plan: Arc<TypedRunnableModel>,
    pub input_size: usize,
}

/// Reads and checks the chosen model, then optimises it for this CPU.
pub(crate) fn load(choice: &ModelChoice) -> Result<LoadedModel, ModelError> {
    let name = choice.to_string();
    let bytes: std::borrow::Cow<'static, [u8]> = match choice {
        ModelChoice::Lightning => LIGHTNING_ONNX.into(),
        ModelChoice::Thunder => THUNDER_ONNX.into(),
        ModelChoice::File(path) => std::fs::read(path)
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => ModelError::Missing { path: path.clone() },
                _ => ModelError::Unreadable { path: path.clone(), source },
            })?
            .into(),
    };
    load_bytes(&name, &bytes)
}

fn load_bytes(name: &str, bytes: &[u8]) -> Result<LoadedModel, ModelError> {
    let not_onnx = |error: TractError| ModelError::NotOnnx { model: name.to_owned(), reason: format!("{error:#}") };
    let wrong_shape =
        |what: &'static str, found: String| ModelError::WrongShape { model: name.to_owned(), what, found };
    let unsupported =
        |error: TractError| ModelError::Unsupported { model: name.to_owned(), reason: format!("{error:#}") };

    let model = tract_onnx::onnx().model_for_read(&mut Cursor::new(bytes)).map_err(not_onnx)?;

    let inputs = model.input_outlets().map_err(not_onnx)?.len();
    if inputs != 1 {
        return Err(wrong_shape("input count", inputs.to_string()));
    }
    let outputs = model.output_outlets().map_err(not_onnx)?.len();
    if outputs != 1 {
        return Err(wrong_shape("output count", outputs.to_string()));
    }

    let input_fact = model.input_fact(0).map_err(not_onnx)?;
    if let Some(datum_type) = input_fact.datum_type.concretize()
        && datum_type != f32::datum_type()
    {
        return Err(wrong_shape("input type", format!("{datum_type:?}")));
    }
    let input_shape = input_fact.shape.as_concrete_finite().ok().flatten();
    let input_size = match input_shape.as_deref() {
        Some(&[1, height, width, 3]) if height == width && height > 0 => height,
        Some(dims) => return Err(wrong_shape("input shape", format!("{dims:?}"))),
        None => {
            return Err(wrong_shape("input shape", format!("{:?} (not fixed)", input_fact.shape)));
        }
    };

    let typed = model
        .with_input_fact(0, InferenceFact::dt_shape(f32::datum_type(), tvec!(1, input_size, input_size, 3)))
        .and_then(|model| model.into_optimized())
        .map_err(unsupported)?;
    let output_fact = typed.output_fact(0).map_err(unsupported)?;
    let expected_output = [1, 1, KEYPOINT_COUNT, VALUES_PER_KEYPOINT];
    match output_fact.shape.as_concrete() {
        Some(dims) if dims == expected_output => {}
        Some(dims) => return Err(wrong_shape("output shape", format!("{dims:?}"))),
        None => {
            return Err(wrong_shape("output shape", format!("{:?} (not fixed)", output_fact.shape)));
        }
    }
    if output_fact.datum_type != f32::datum_type() {
        return Err(wrong_shape("output type", format!("{:?}", output_fact.datum_type)));
    }
    debug_assert_eq!(expected_output.iter().product::<usize>(), OUTPUT_LEN);

    let plan = typed.into_runnable().map_err(unsupported)?;
    Ok(LoadedModel { plan, input_size })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_choice_parses_names_and_paths() {
        assert_eq!("lightning".parse::<ModelChoice>().unwrap(), ModelChoice::Lightning);
        assert_eq!("Thunder".parse::<ModelChoice>().unwrap(), ModelChoice::Thunder);
        assert_eq!("./thunder".parse::<ModelChoice>().unwrap(), ModelChoice::File(PathBuf::from("./thunder")));
    }

    #[test]
    fn garbage_bytes_are_not_onnx() {
        let error = load_bytes("junk.onnx", b"this is not a model").err().unwrap();
        assert!(matches!(error, ModelError::NotOnnx { .. }), "{error}");
        assert!(error.to_string().contains("junk.onnx"));
    }

    #[test]
    fn truncated_model_is_a_clear_error() {
        let half = &LIGHTNING_ONNX[..LIGHTNING_ONNX.len() / 2];
        let error = load_bytes("half.onnx", half).err().unwrap();
        assert!(matches!(error, ModelError::NotOnnx { .. } | ModelError::Unsupported { .. }), "{error}");
        assert!(error.to_string().contains("half.onnx"));
        assert!(error.to_string().contains("[1,1,17,3]"));
    }
}
