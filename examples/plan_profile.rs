//! Where an ONNX model's time goes in tract: the model is optimised as tract alone would (no
//! slouchwatch layout step), run 30 times on a flat grey input of its declared NHWC size, and
//! the CPU time of each kind of node over the last 20 runs is printed, largest first. Used to
//! find what made the face mesh slow (docs/PERFORMANCE.md, "The face mesh").
//!
//!     cargo run --release --example plan_profile -- MODEL.onnx [SIZE]
//!
//! `SIZE` is the square input side (default 192, the face mesh's and Lightning's).

use std::collections::BTreeMap;
use std::time::Instant;

use tract_onnx::prelude::*;

/// Runs not timed (buffers, caches) and runs timed.
const WARM_UP_RUNS: usize = 10;
const TIMED_RUNS: usize = 20;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or_else(|| anyhow::anyhow!("usage: plan_profile MODEL.onnx [SIZE]"))?;
    let size: usize = args.get(1).map(|size| size.parse()).transpose()?.unwrap_or(192);
    let model = tract_onnx::onnx()
        .model_for_path(path)?
        .with_input_fact(0, InferenceFact::dt_shape(f32::datum_type(), tvec!(1, size, size, 3)))?
        .into_optimized()?
        .into_runnable()?;
    let mut state = model.spawn()?;
    let input: Tensor = tract_ndarray::Array4::<f32>::from_elem((1, size, size, 3), 0.5).into();
    // Per kind of node: total ms over the timed runs, and how many nodes of it ran.
    let mut times: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for run in 0..WARM_UP_RUNS + TIMED_RUNS {
        state.run_plan_with_eval(tvec!(input.clone().into_tvalue()), |context, op_state, node, inputs| {
            let start = Instant::now();
            let outputs = tract_onnx::tract_core::plan::eval(context, op_state, node, inputs);
            if run >= WARM_UP_RUNS {
                let entry = times.entry(node.op().name().to_string()).or_default();
                entry.0 += start.elapsed().as_secs_f64() * 1000.0;
                entry.1 += 1;
            }
            outputs
        })?;
    }
    let mut kinds: Vec<(String, (f64, usize))> = times.into_iter().collect();
    kinds.sort_by(|a, b| b.1.0.total_cmp(&a.1.0));
    let total: f64 = kinds.iter().map(|(_, (ms, _))| ms).sum::<f64>() / TIMED_RUNS as f64;
    println!("{path}: {total:.2} ms a run");
    for (name, (ms, count)) in kinds {
        println!("  {name:32} {:7.2} ms  x{}", ms / TIMED_RUNS as f64, count / TIMED_RUNS);
    }
    Ok(())
}
