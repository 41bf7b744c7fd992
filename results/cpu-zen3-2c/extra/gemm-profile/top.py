import json, sys, collections
d = json.load(open(sys.argv[1]))
ev = d['recording']['events']
top = collections.Counter(); total = 0
for e in ev:
    fr = e['values']['stackTrace']['frames'] if e['values'].get('stackTrace') else []
    if not fr: continue
    total += 1
    m = fr[0]['method']; top[m['type']['name'].split('.')[-1] + '.' + m['name']] += 1
for k, v in top.most_common(10): print(f"{v/total:6.1%} {k}")
print("samples", total)
