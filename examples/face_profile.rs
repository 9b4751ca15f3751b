use std::collections::BTreeMap;
use std::time::Instant;
use tract_onnx::prelude::*;
fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap();
    let model = tract_onnx::onnx().model_for_path(&path)?;
    let model = model.with_input_fact(0, InferenceFact::dt_shape(f32::datum_type(), tvec!(1, 192, 192, 3)))?.into_optimized()?;
    let plan = model.into_runnable()?;
    let mut state = plan.spawn()?;
    let input: Tensor = tract_ndarray::Array4::<f32>::from_elem((1, 192, 192, 3), 0.5).into();
    let mut times: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for round in 0..30 {
        state.run_plan_with_eval(tvec!(input.clone().into_tvalue()), |ctx, op_state, node, inputs| {
            let start = Instant::now();
            let r = tract_onnx::tract_core::plan::eval(ctx, op_state, node, inputs);
            if round >= 10 {
                let e = times.entry(node.op().name().to_string()).or_default();
                e.0 += start.elapsed().as_secs_f64() * 1000.0 / 20.0;
                e.1 += 1;
            }
            r
        })?;
    }
    let mut v: Vec<_> = times.into_iter().collect();
    v.sort_by(|a, b| b.1.0.total_cmp(&a.1.0));
    let total: f64 = v.iter().map(|x| x.1.0).sum();
    println!("total {total:.2} ms");
    for (name, (ms, n)) in v.iter().take(15) { println!("{name:30} {ms:7.2} ms  x{}", n / 20); }
    Ok(())
}
