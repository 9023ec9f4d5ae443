import * as tf from '@tensorflow/tfjs';
import { type Expr, type FnName, ExprError } from './ast.js';

const TF_FN: Readonly<Record<FnName, (x: tf.Tensor) => tf.Tensor>> = {
  sin: tf.sin,
  cos: tf.cos,
  tan: tf.tan,
  exp: tf.exp,
  log: tf.log,
  sqrt: tf.sqrt,
  abs: tf.abs,
  tanh: tf.tanh,
};

/**
 * Lowers an expression to tfjs ops. Bindings may be batched 1-D tensors or scalars (e.g. trainable
 * coefficients), so the graph is differentiable with respect to any binding. Integer exponents are
 * lowered to repeated multiplication or tf.square where small, which also keeps negative bases
 * finite as Math.pow does.
 */
export function toTensor(e: Expr, bindings: Readonly<Record<string, tf.Tensor>>): tf.Tensor {
  const lower = (x: Expr): tf.Tensor => {
    switch (x.type) {
      case 'num':
        return tf.scalar(x.value);
      case 'var': {
        const t = bindings[x.name];
        if (t === undefined) throw new ExprError(`no tensor bound to variable ${x.name}`);
        return t;
      }
      case 'neg':
        return tf.neg(lower(x.arg));
      case 'call':
        return TF_FN[x.fn](lower(x.arg));
      case 'bin': {
        const a = lower(x.left);
        if (x.op === '^' && x.right.type === 'num' && Number.isInteger(x.right.value) && x.right.value <= 8) {
          return integerPower(a, x.right.value);
        }
        if (x.op === '^' && x.right.type === 'neg' && x.right.arg.type === 'num' && Number.isInteger(x.right.arg.value) && x.right.arg.value <= 8) {
          return tf.div(tf.scalar(1), integerPower(a, x.right.arg.value));
        }
        const b = lower(x.right);
        switch (x.op) {
          case '+':
            return tf.add(a, b);
          case '-':
            return tf.sub(a, b);
          case '*':
            return tf.mul(a, b);
          case '/':
            return tf.div(a, b);
          case '^':
            return tf.pow(a, b);
        }
      }
    }
  };
  return lower(e);
}

function integerPower(a: tf.Tensor, n: number): tf.Tensor {
  if (n === 0) return tf.onesLike(a);
  let acc = a;
  for (let i = 1; i < n; i++) acc = tf.mul(acc, a);
  return acc;
}
